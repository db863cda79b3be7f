"""`python -m fzzf` runs the CLI."""
import sys

from fzzf.cli import main

sys.exit(main())
