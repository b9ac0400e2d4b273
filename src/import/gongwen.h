/* gongwen — the shapes of the lines that make the parts of a 公文 in a pasted
 * text (GB/T 9704-2012 §7): 份号, 密级, 紧急程度, 发文字号, 签发人, 主送, 附件说明,
 * attachment labels, 附注, 抄送 and 印发.  Each recogniser looks at one line's
 * code points and says whether the whole line has that shape, and where its
 * parts are; it decides nothing about the document (import.c does, from where
 * the lines stand).  Private to the import stage: import.c calls these, and
 * the doc-number parser is shared with lint through import.h. */
#ifndef GW_IMPORT_GONGWEN_H
#define GW_IMPORT_GONGWEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "import.h"

/* 000123: six ASCII digits. */
bool gw_gongwen_copy(const uint32_t *cp, size_t len);

/* 秘密, 机密, 绝密, optionally ★ and a period (机密★5年): *period_at where the
 * period starts after the ★ (0: none). */
bool gw_gongwen_secrecy(const uint32_t *cp, size_t len, size_t *period_at);

/* 特急 or 加急. */
bool gw_gongwen_urgency(const uint32_t *cp, size_t len);

/* 签发人：张三 李四 (also with ":" and blanks): *names_at where the names start. */
bool gw_gongwen_signer(const uint32_t *cp, size_t len, size_t *names_at);

/* 抄送：区纪委监委，区审计局。 — *at where the organs start. */
bool gw_gongwen_cc(const uint32_t *cp, size_t len, size_t *at);

/* 广州市增城区总工会办公室      2023年3月15日印发: the name, blanks, a date and
 * 印发.  *name_len code points of the name; [*date_at, *date_at + *date_len)
 * the date. */
bool gw_gongwen_distributor(const uint32_t *cp, size_t len, size_t *name_len, size_t *date_at,
                            size_t *date_len);

/* The first line of a 附件说明: 附件：1.×× (or 附件: / 附： / 附:, with or
 * without a name after it).  *names_at where the first name (or its number)
 * starts; *pre2012 for 附： (the label GB/T 9704-1999 used). */
bool gw_gongwen_attachments_note(const uint32_t *cp, size_t len, size_t *names_at, bool *pre2012);

/* An attachment's label line: 附件, 附件2, 附件 2, 附件二, 附件2：, 附：, 附件：
 * with nothing after the colon.  *number the number typed (0: none);
 * *pre2012 for 附. */
bool gw_gongwen_label(const uint32_t *cp, size_t len, int *number, bool *pre2012);

/* A 附注: the whole line in round brackets, （此件公开发布）. */
bool gw_gongwen_note(const uint32_t *cp, size_t len);

#endif
