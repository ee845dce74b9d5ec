F:	Documentation/admin-guide/mm/cmafw-boot.rst
