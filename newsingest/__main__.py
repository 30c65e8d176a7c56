"""`python -m newsingest` runs the same entry point as the `newsingest` command."""

from .cli import main

if __name__ == "__main__":
    main()
