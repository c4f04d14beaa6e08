"""`python -m lwtop_toolkit.cli` is `lwtop`."""

from lwtop_toolkit.cli.main import main

raise SystemExit(main())
