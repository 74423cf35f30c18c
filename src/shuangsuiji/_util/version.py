"""The library's version: recorded in every campaign log's commitment, read by the build."""

__version__ = "0.1.0"
