# src/admin: see the program's own files.
