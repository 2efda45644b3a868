"""The checker: from a workload and the knowledge base to numbers and a cited verdict.

Pure functions over `KnowledgeBase`; nothing here knows of Slack, the CLI or a model.
"""
