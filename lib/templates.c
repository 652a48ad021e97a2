/* lib/templates.c: being written */
