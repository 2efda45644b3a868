"""Keeps every answer in the decision log (SQLite), reviewable and searchable, with what became of it."""
