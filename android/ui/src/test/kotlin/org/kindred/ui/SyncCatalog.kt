package org.kindred.ui

/** The sync screen in the states a reader should see (part of [Catalog]). */
object SyncCatalog {
    val screens: List<CatalogScreen> = emptyList()
}
