/* lib/url.c: being written */
