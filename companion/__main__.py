"""Allow `python -m companion` as an alias of the `vetscribe` command."""

from companion.cli import main

main()
