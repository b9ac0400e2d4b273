/* pdfmeta — information dictionary, XMP, output intent, version, ID and dates
 * for PDF/A-1b (see pdfmeta.h).
 *
 * Called by pdfout.c.  libharu 2.3.0 has PDF/A calls of its own
 * (HPDF_PDFA_SetPDFAConformance) but they write the XMP without escaping,
 * under a misspelt /SubType key, with Chinese strings that do not match the
 * information dictionary (libharu's UTF-8 strings stop at U+FFFF), and an ID
 * made from the clock; so the objects are built here with its object layer. */
#include "pdfmeta.h"

#include <errno.h>
#include <hpdf_objects.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdfobj.h"

#ifndef GWPDF_VERSION
#define GWPDF_VERSION "dev"
#endif
#define PRODUCER "gwpdf " GWPDF_VERSION " (libharu " HPDF_VERSION_TEXT ")"
#define CREATOR "gwpdf"

extern const unsigned char gw_srgb_icc[];
extern const size_t gw_srgb_icc_len;

/* ---- XMP ------------------------------------------------------------------ */

static void xb_elem(gw_buf *b, const char *open, const char *text, const char *close)
{
    if (!text)
        return;
    gw_buf_str(b, open);
    gw_buf_xml(b, text);
    gw_buf_str(b, close);
}

/* The XMP packet repeating the information dictionary (PDF/A-1 6.7.3): each
 * Info entry has its XMP twin with the same value. */
static void build_xmp(gw_buf *b, const gw_meta *m, const char *xmp_date)
{
    gw_buf_str(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
              "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
              "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
              "<dc:format>application/pdf</dc:format>\n");
    xb_elem(b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">", m ? m->title : NULL,
            "</rdf:li></rdf:Alt></dc:title>\n");
    xb_elem(b, "<dc:creator><rdf:Seq><rdf:li>", m ? m->author : NULL,
            "</rdf:li></rdf:Seq></dc:creator>\n");
    xb_elem(b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">", m ? m->subject : NULL,
            "</rdf:li></rdf:Alt></dc:description>\n");
    gw_buf_str(b, "</rdf:Description>\n"
              "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
    xb_elem(b, "<xmp:CreatorTool>", CREATOR, "</xmp:CreatorTool>\n");
    xb_elem(b, "<xmp:CreateDate>", xmp_date, "</xmp:CreateDate>\n");
    xb_elem(b, "<xmp:ModifyDate>", xmp_date, "</xmp:ModifyDate>\n");
    gw_buf_str(b, "</rdf:Description>\n"
              "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
    xb_elem(b, "<pdf:Producer>", PRODUCER, "</pdf:Producer>\n");
    xb_elem(b, "<pdf:Keywords>", m ? m->keywords : NULL, "</pdf:Keywords>\n");
    gw_buf_str(b, "</rdf:Description>\n"
              "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
              "<pdfaid:part>1</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n"
              "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
}

/* ---- the objects --------------------------------------------------------- */

static HPDF_STATUS add_text(HPDF_Doc pdf, HPDF_Dict dict, const char *key, const char *utf8,
                            HPDF_MD5_CTX *digest)
{
    if (!utf8)
        return HPDF_OK;
    HPDF_MD5Update(digest, (const HPDF_BYTE *)utf8, (HPDF_UINT32)strlen(utf8) + 1);
    return HPDF_Dict_Add(dict, key, pdf_text_string(pdf, utf8));
}

static HPDF_STATUS write_info(HPDF_Doc pdf, const gw_meta *m, const char *pdf_date,
                              HPDF_MD5_CTX *digest)
{
    /* HPDF_SetInfoAttr creates the dictionary and links it from the trailer. */
    if (HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, CREATOR) != HPDF_OK || !pdf->info)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_Dict info = pdf->info;
    HPDF_STATUS rc = HPDF_Dict_Add(info, "Producer", HPDF_String_New(pdf->mmgr, PRODUCER, NULL));
    rc |= HPDF_Dict_Add(info, "CreationDate", HPDF_String_New(pdf->mmgr, pdf_date, NULL));
    rc |= HPDF_Dict_Add(info, "ModDate", HPDF_String_New(pdf->mmgr, pdf_date, NULL));
    HPDF_MD5Update(digest, (const HPDF_BYTE *)pdf_date, (HPDF_UINT32)strlen(pdf_date));
    if (m) {
        rc |= add_text(pdf, info, "Title", m->title, digest);
        rc |= add_text(pdf, info, "Author", m->author, digest);
        rc |= add_text(pdf, info, "Subject", m->subject, digest);
        rc |= add_text(pdf, info, "Keywords", m->keywords, digest);
    }
    return rc;
}

static HPDF_STATUS write_metadata(HPDF_Doc pdf, const gw_meta *m, const char *xmp_date)
{
    gw_buf b = { 0 };
    build_xmp(&b, m, xmp_date);
    HPDF_Dict xmp = b.oom ? NULL : HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    /* Left uncompressed: PDF/A-1 wants the metadata readable without a filter. */
    HPDF_STATUS rc = xmp ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
    if (xmp) {
        rc |= HPDF_Dict_AddName(xmp, "Type", "Metadata");
        rc |= HPDF_Dict_AddName(xmp, "Subtype", "XML");
        rc |= HPDF_Stream_Write(xmp->stream, (const HPDF_BYTE *)b.s, (HPDF_UINT)b.n);
        rc |= HPDF_Dict_Add(pdf->catalog, "Metadata", xmp);
    }
    free(b.s);
    return rc;
}

/* The sRGB output intent: every colour the document uses (DeviceGray text) is
 * then defined for PDF/A-1 (6.2.2). */
static HPDF_STATUS write_output_intent(HPDF_Doc pdf, pdf_deflater *z)
{
    HPDF_Dict icc = pdf_stream_new(pdf, z, gw_srgb_icc, gw_srgb_icc_len);
    HPDF_Dict intent = pdf_indirect_dict(pdf);
    HPDF_Array intents = HPDF_Array_New(pdf->mmgr);
    if (!icc || !intent || !intents)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS rc = HPDF_Dict_AddNumber(icc, "N", 3);
    rc |= HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    rc |= HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    rc |= HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                        HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
    rc |= HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(pdf->mmgr, "http://www.color.org", NULL));
    rc |= HPDF_Dict_Add(intent, "Info", HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
    rc |= HPDF_Dict_Add(intent, "DestOutputProfile", icc);
    rc |= HPDF_Array_Add(intents, intent);
    rc |= HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);
    return rc;
}

int pdf_meta_write(HPDF_Doc pdf, pdf_deflater *z, const gw_meta *meta, time_t when,
                   HPDF_MD5_CTX *digest)
{
    struct tm tm;
    if (!gmtime_r(&when, &tm))
        return -1;
    char pdf_date[40], xmp_date[40];
    strftime(pdf_date, sizeof pdf_date, "D:%Y%m%d%H%M%S+00'00'", &tm);
    strftime(xmp_date, sizeof xmp_date, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    /* PDF/A-1 is based on PDF 1.4. */
    pdf->pdf_version = HPDF_VER_14;
    HPDF_STATUS rc = write_info(pdf, meta, pdf_date, digest);
    if (rc == HPDF_OK)
        rc = write_metadata(pdf, meta, xmp_date);
    if (rc == HPDF_OK)
        rc = write_output_intent(pdf, z);
    return rc == HPDF_OK ? 0 : -1;
}

int pdf_meta_set_id(HPDF_Doc pdf, HPDF_MD5_CTX *digest)
{
    HPDF_BYTE id[16];
    HPDF_MD5Final(id, digest);
    HPDF_Array a = HPDF_Array_New(pdf->mmgr);
    if (!a)
        return -1;
    /* Both halves equal: the file is new, not a revision of another. */
    HPDF_STATUS rc = HPDF_Array_Add(a, HPDF_Binary_New(pdf->mmgr, id, sizeof id));
    rc |= HPDF_Array_Add(a, HPDF_Binary_New(pdf->mmgr, id, sizeof id));
    rc |= HPDF_Dict_Add(pdf->trailer, "ID", a);
    return rc == HPDF_OK ? 0 : -1;
}
