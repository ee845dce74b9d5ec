
config CMAFW_BOOT
	bool "Regions reserved at boot (cmafw.regions=, early regions)"
	# UML defines X86_64 but has no arch hook reserving the regions.
	depends on CMAFW=y && ((X86_64 && !UML) || ARM64)
	default y
	help
	  Read cmafw.regions= and cmafw.map= on the kernel command line,
	  and let board code and drivers add early regions.  Their memory
	  is taken from memblock before the page allocator starts, at a
	  fixed address or, without one, wherever memblock finds room
	  below 4 GiB.  They are registered before drivers probe.  See
	  Documentation/admin-guide/mm/cmafw-boot.rst.
