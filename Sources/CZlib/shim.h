#ifndef IVIG_FHIR_CZLIB_SHIM_H
#define IVIG_FHIR_CZLIB_SHIM_H

#include <zlib.h>

/// `inflateInit2` and `deflateInit2` are macros (they pass the library version and the size of
/// `z_stream`), which Swift cannot call; these forwarders can be.
static inline int czlib_inflate_init_gzip(z_stream *stream) {
    /* 15 window bits + 32: detect gzip or zlib headers automatically. */
    return inflateInit2(stream, 15 + 32);
}

static inline int czlib_deflate_init_gzip(z_stream *stream, int level) {
    /* 15 window bits + 16: write a gzip header and trailer; memory level 8 is zlib's default. */
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

#endif
