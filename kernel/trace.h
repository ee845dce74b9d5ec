/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmafw tracepoints, under events/cmafw/ in tracefs:
 *
 *	cmafw_alloc_start	a request arrives: owner, type, size, alignment
 *	cmafw_alloc_finish	its outcome: the region that served it (or
 *				"-"), the address or errno, and the time taken
 *	cmafw_free		a chunk given back (or the errno)
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM cmafw

#if !defined(_CMAFW_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _CMAFW_TRACE_H

#include <linux/tracepoint.h>
#include <linux/version.h>

#ifndef cmafw_assign_str
/* __assign_str() takes only the destination since 6.10 (6.1 takes both). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#define cmafw_assign_str(dst, src)	__assign_str(dst, src)
#else
#define cmafw_assign_str(dst, src)	\
	do { (void)(src); __assign_str(dst); } while (0)
#endif
#endif

TRACE_EVENT(cmafw_alloc_start,
	    TP_PROTO(const char *owner, const char *type, size_t size,
		     dma_addr_t align),
	    TP_ARGS(owner, type, size, align),
	    TP_STRUCT__entry(__string(owner, owner)
			     __string(type, type ?: "common")
			     __field(size_t, size)
			     __field(u64, align)),
	    TP_fast_assign(cmafw_assign_str(owner, owner);
			   cmafw_assign_str(type, type ?: "common");
			   __entry->size = size;
			   __entry->align = align;),
	    TP_printk("owner=%s type=%s size=%zu align=%llu",
		      __get_str(owner), __get_str(type), __entry->size,
		      __entry->align)
);

TRACE_EVENT(cmafw_alloc_finish,
	    TP_PROTO(const char *owner, const char *type, size_t size,
		     dma_addr_t align, const char *region,
		     dma_addr_t result, u64 duration_ns),
	    TP_ARGS(owner, type, size, align, region, result, duration_ns),
	    TP_STRUCT__entry(__string(owner, owner)
			     __string(type, type ?: "common")
			     __string(region, region)
			     __field(size_t, size)
			     __field(u64, align)
			     __field(u64, addr)
			     __field(int, error)
			     __field(u64, duration_ns)),
	    TP_fast_assign(cmafw_assign_str(owner, owner);
			   cmafw_assign_str(type, type ?: "common");
			   cmafw_assign_str(region, region);
			   __entry->size = size;
			   __entry->align = align;
			   __entry->error = IS_ERR_VALUE(result) ?
					    (int)result : 0;
			   __entry->addr = __entry->error ? 0 : result;
			   __entry->duration_ns = duration_ns;),
	    TP_printk("owner=%s type=%s size=%zu align=%llu region=%s addr=0x%llx error=%d duration_ns=%llu",
		      __get_str(owner), __get_str(type), __entry->size,
		      __entry->align, __get_str(region), __entry->addr,
		      __entry->error, __entry->duration_ns)
);

TRACE_EVENT(cmafw_free,
	    TP_PROTO(dma_addr_t addr, size_t size, const char *region,
		     int result),
	    TP_ARGS(addr, size, region, result),
	    TP_STRUCT__entry(__string(region, region)
			     __field(u64, addr)
			     __field(size_t, size)
			     __field(int, result)),
	    TP_fast_assign(cmafw_assign_str(region, region);
			   __entry->addr = addr;
			   __entry->size = size;
			   __entry->result = result;),
	    TP_printk("addr=0x%llx size=%zu region=%s result=%d",
		      __entry->addr, __entry->size, __get_str(region),
		      __entry->result)
);

#endif /* _CMAFW_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
