package org.kindred.ui

/** The sharing screen in the states a reader should see (part of [Catalog]). */
object SharingCatalog {
    val screens: List<CatalogScreen> = emptyList()
}
