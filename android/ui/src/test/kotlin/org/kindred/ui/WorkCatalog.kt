package org.kindred.ui

/** The work screen in the states a reader should see (part of [Catalog]). */
object WorkCatalog {
    val screens: List<CatalogScreen> = emptyList()
}
