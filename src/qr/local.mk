# src/qr: see the program's own files.
