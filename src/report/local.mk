# src/report: see the program's own files.
