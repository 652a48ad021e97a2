/* being written */
#include <stdio.h>
int main(void)
{
	fputs("test-db: not written yet\n", stderr);
	return 1;
}
