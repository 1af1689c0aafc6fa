"""The `podium` command: `podium run`, `podium demo`, `podium worker` and every Django management command."""

import os
import sys

# Commands spelt with a hyphen on the command line; Django's command modules cannot be.
COMMAND_ALIASES = {"import-contacts": "import_contacts", "search-rebuild": "search_rebuild"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
    from django.core.management import execute_from_command_line

    argv = [sys.argv[0], *sys.argv[1:]] if len(sys.argv) > 1 else [sys.argv[0], "help"]
    argv[1] = COMMAND_ALIASES.get(argv[1], argv[1])
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
