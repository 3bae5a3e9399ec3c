#!/usr/bin/env python3
from dondoc.cli import main

if __name__ == "__main__":
    main()
