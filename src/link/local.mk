# src/link: see the program's own files.
