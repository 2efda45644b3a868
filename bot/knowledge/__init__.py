"""The knowledge base: arguments, hardware, models, quantisations, defaults."""
