"""The corpus of hostile and broken inputs; `make.py` writes it."""
