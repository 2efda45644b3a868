"""Checks a workload against the knowledge base: capacity, sizing, costs and a cited verdict.

Pure functions over `KnowledgeBase`; nothing here knows of Slack, the CLI or a model.
"""
