"""The toolkit's version, defined once (the façade, the CLI and the bundle manifest read it)."""

VERSION = "0.1.0"
