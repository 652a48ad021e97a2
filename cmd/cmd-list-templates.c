/* cmd/cmd-list-templates.c: being written */
