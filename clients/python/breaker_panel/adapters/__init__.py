"""Adapters that report breakers of other libraries; each imports its library, so import only the one you use."""
