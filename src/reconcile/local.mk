# src/reconcile: see the program's own files.
