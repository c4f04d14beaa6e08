"""Writers: the files the toolkit produces (import files, bundle, staff sheet, audit report)."""
