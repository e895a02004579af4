# tests/unit/parse.mk
