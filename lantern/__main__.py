"""Allow `python -m lantern`."""

from lantern.cli.app import main

main()
