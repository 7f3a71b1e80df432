/* The public header compiles alone, with -pedantic -Werror. */
#include "goleak.h"

int goleak_headertest(void);

int goleak_headertest(void) {
    goleak_parse_options o = GOLEAK_PARSE_OPTIONS_INIT;
    return (int)o.version + GOLEAK_VERSION_NUMBER + GOLEAK_ABI_VERSION;
}
