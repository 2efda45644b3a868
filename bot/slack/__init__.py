"""Serves the Slack app, a thin adapter over the core (parse, check, write, log) built on slack-bolt.

`app.build_app` registers one listener per concern, all in one place; each
listener only translates between Slack's payloads and the core.
"""
