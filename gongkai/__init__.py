"""gongkai (公开): answers about government information disclosure annual reports."""

__version__ = "0.1.0"
