package org.kindred.ui

/** The goals screen in the states a reader should see (part of [Catalog]). */
object GoalsCatalog {
    val screens: List<CatalogScreen> = emptyList()
}
