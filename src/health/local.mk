# src/health: see the program's own files.
