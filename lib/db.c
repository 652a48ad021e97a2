/* lib/db.c: being written */
