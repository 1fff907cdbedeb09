# The two commands of the README. Everything is done by scripts/dev.sh.
.PHONY: run test setup stop-db

run:  ## serve Odoo with the addon, its bridges and demo data on http://localhost:8069
	@bash scripts/dev.sh run

test:  ## fresh database, install (with the bridges of bridges/), every test, log check, linters
	@bash scripts/dev.sh test

setup:
	@bash scripts/dev.sh setup

stop-db:
	@bash scripts/dev.sh stop-db
