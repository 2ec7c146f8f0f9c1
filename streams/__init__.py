"""TollWatch: conflict news in, trustworthy regional casualty totals out."""

__version__ = "0.1.0"
