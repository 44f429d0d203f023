#ifndef IVIG_FHIR_CLIBXML2_SHIM_H
#define IVIG_FHIR_CLIBXML2_SHIM_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlsave.h>

/// `xmlFree` is a mutable global function pointer in libxml2 2.9; Swift 6 refuses to read it
/// directly (shared mutable state), so it is called through this forwarder.
static inline void cxml_free(void *p) { xmlFree(p); }

#endif
