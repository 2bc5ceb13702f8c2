"""``python -m newsdesk``: the command line."""

from newsdesk.cli.main import main

main()
