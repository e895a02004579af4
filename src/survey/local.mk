# src/survey: see the program's own files.
