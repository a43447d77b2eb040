"""edition: a static-site generator for bilingual editions of speeches."""

__version__ = "0.1.0"
