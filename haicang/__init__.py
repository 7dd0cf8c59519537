"""Haicang (海仓): the system between cross-border sellers and their overseas-warehouse operators."""

__version__ = "0.1.0"
