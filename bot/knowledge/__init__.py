"""Loads and checks the knowledge base every answer cites: arguments, hardware, models, prices, defaults."""
