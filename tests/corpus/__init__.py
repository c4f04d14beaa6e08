"""The corpus of hostile and broken inputs (issue 8); `make.py` writes it."""
