/* Runtime version queries. */
#include "goleak.h"

GOLEAK_API unsigned int goleak_version(void) {
    return GOLEAK_VERSION_NUMBER;
}

GOLEAK_API const char *goleak_version_string(void) {
    return GOLEAK_VERSION_STRING;
}

GOLEAK_API int goleak_abi_version(void) {
    return GOLEAK_ABI_VERSION;
}
