package org.kindred.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.kindred.Resource
import org.kindred.ResourceKind
import org.kindred.app.Keys
import org.kindred.app.ResourceDraft
import org.kindred.app.ResourcesActions
import org.kindred.app.ResourcesModel
import org.kindred.app.ResourcesUi
import org.kindred.app.resourceKindKey

/** Test tags of the resources (never shown). */
object ResourceTags {
    const val LIST = "resources_list"
    const val BACK = "resources_back"
    const val ADD = "resources_add"
    const val NAME = "resources_name"
    const val REACH = "resources_reach"
    const val HOURS = "resources_hours"
    const val ADDRESS = "resources_address"
    const val NOTES = "resources_notes"
    const val SAVE = "resources_save"
    const val CANCEL = "resources_cancel"
    const val OWN = "resources_own"
    const val DELETE_YES = "resources_delete_yes"
    const val DELETE_NO = "resources_delete_no"
    fun kind(k: ResourceKind) = "resources_kind_${k.stored}"
    fun share(space: String) = "resources_share_$space"
    fun resource(id: String) = "resources_item_$id"
    fun keep(id: String) = "resources_keep_$id"
    fun delete(id: String) = "resources_delete_$id"
}

/** The resources screen over its holder; it depends on nothing but the holder. */
@Composable
fun ResourcesScreen(model: ResourcesModel, ownList: Boolean = false, onClose: (() -> Unit)? = null) {
    val state by model.state.collectAsState()
    LaunchedEffect(model) { model.refresh() }
    ResourcesContent(state, model, ownList, onClose)
}

/**
 * Resources read from the device (there offline): kind, name, how to
 * reach, hours, address, notes. Add one for someone you share with; keep a
 * copy of one you were given; delete only what you wrote.
 */
@Composable
fun ResourcesContent(state: ResourcesUi, actions: ResourcesActions, ownList: Boolean = false, onClose: (() -> Unit)? = null) {
    Column(Modifier.fillMaxSize()) {
        // Back to her plan stays in view, however far the list is scrolled.
        if (onClose != null) {
            TextButton(onClick = onClose, modifier = Modifier.padding(start = 16.dp, top = 8.dp).heightIn(min = MinTouch).testTag(ResourceTags.BACK)) {
                Text(words(Keys.RESOURCES_BACK_PLAN))
            }
        }
        ResourcesList(state, actions, ownList)
    }
}

@Composable
private fun ResourcesList(state: ResourcesUi, actions: ResourcesActions, ownList: Boolean) {
    LazyColumn(
        Modifier.fillMaxSize().testTag(ResourceTags.LIST),
        contentPadding = PaddingValues(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        item { Heading(words(Keys.RESOURCES_TITLE)) }
        if (ownList) item { Text(words(Keys.RESOURCES_MINE_INTRO), style = MaterialTheme.typography.bodyLarge) }
        val adding = state.adding
        if (adding != null) {
            item { AddResource(adding, state, actions, ownList) }
        } else {
            item {
                Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Note(state.message)
                    if (state.confirmDelete == null) Problem(state.error)
                    if (!state.loading && state.shares.isEmpty() && !ownList) {
                        Text(words(Keys.RESOURCES_NO_SHARES), style = MaterialTheme.typography.bodyMedium)
                    } else {
                        Button(onClick = actions::startAdd, modifier = Modifier.heightIn(min = MinTouch).testTag(ResourceTags.ADD)) {
                            Text(words(Keys.RESOURCE_ADD))
                        }
                    }
                }
            }
        }
        if (!state.loading && state.resources.isEmpty()) item { Text(words(Keys.RESOURCES_EMPTY), style = MaterialTheme.typography.bodyLarge) }
        items(state.resources, key = { it.id.value }) { r -> ResourceCard(r, state, actions) }
    }
}

@Composable
private fun ResourceCard(r: Resource, state: ResourcesUi, actions: ResourcesActions) {
    Card(Modifier.fillMaxWidth().testTag(ResourceTags.resource(r.id.value))) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Column(Modifier.fillMaxWidth().semantics(mergeDescendants = true) {}, verticalArrangement = Arrangement.spacedBy(2.dp)) {
                Text(words(resourceKindKey(r.kind)), style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.primary)
                Text(r.name, style = MaterialTheme.typography.titleMedium)
                r.reach?.let { Text(words(Keys.RESOURCE_REACH, it), style = MaterialTheme.typography.bodyMedium) }
                r.hours?.let { Text(words(Keys.RESOURCE_HOURS, it), style = MaterialTheme.typography.bodyMedium) }
                r.address?.let { Text(words(Keys.RESOURCE_ADDRESS, it), style = MaterialTheme.typography.bodyMedium) }
                r.notes?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
                when {
                    r.kept -> Text(words(Keys.RESOURCE_YOUR_COPY), style = MaterialTheme.typography.bodySmall)
                    else -> state.shares.firstOrNull { it.space == r.space.value }?.let {
                        Text(words(Keys.RESOURCE_SHARED_WITH, it.name), style = MaterialTheme.typography.bodySmall)
                    }
                }
            }
            val alreadyKept = state.resources.any { it.kept && it.name == r.name && it.kind == r.kind }
            if (!r.mine && !r.kept && !alreadyKept) {
                val label = words(Keys.RESOURCE_KEEP_NAMED, r.name)
                OutlinedButton(
                    onClick = { actions.keep(r.id.value) },
                    modifier = Modifier.heightIn(min = MinTouch).testTag(ResourceTags.keep(r.id.value)).semantics { contentDescription = label },
                ) { Text(words(Keys.RESOURCE_KEEP)) }
            }
            if (r.mine) {
                if (state.confirmDelete == r.id.value) {
                    Text(words(Keys.RESOURCE_DELETE_ASK, r.name), style = MaterialTheme.typography.bodyLarge)
                    Problem(state.error)
                    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                        Button(onClick = { actions.confirmDelete() }, modifier = Modifier.heightIn(min = MinTouch).testTag(ResourceTags.DELETE_YES)) {
                            Text(words(Keys.RESOURCE_DELETE))
                        }
                        OutlinedButton(onClick = actions::cancelDelete, modifier = Modifier.heightIn(min = MinTouch).testTag(ResourceTags.DELETE_NO)) {
                            Text(words(Keys.ERASE_KEEP))
                        }
                    }
                } else {
                    val label = words(Keys.RESOURCE_DELETE_NAMED, r.name)
                    TextButton(
                        onClick = { actions.askDelete(r.id.value) },
                        modifier = Modifier.heightIn(min = MinTouch).testTag(ResourceTags.delete(r.id.value)).semantics { contentDescription = label },
                    ) { Text(words(Keys.RESOURCE_DELETE)) }
                }
            }
        }
    }
}

@Composable
private fun AddResource(d: ResourceDraft, state: ResourcesUi, actions: ResourcesActions, ownList: Boolean) {
    Section(words(Keys.RESOURCE_ADD)) {
        Problem(state.error)
        Text(words(Keys.RESOURCE_FOR), style = MaterialTheme.typography.labelLarge)
        val choices = state.shares.map { it.space as String? } + if (ownList) listOf(null) else emptyList()
        NoteChoices(
            choices, d.space,
            { s -> if (s == null) words(Keys.RESOURCE_OWN) else state.shares.first { it.space == s }.name },
            { s -> if (s == null) ResourceTags.OWN else ResourceTags.share(s) },
        ) { s -> actions.editAdd { it.copy(space = s) } }
        Text(words(Keys.RESOURCE_KIND_LABEL), style = MaterialTheme.typography.labelLarge)
        NoteChoices(ResourceKind.entries, d.kind, { words(resourceKindKey(it)) }, ResourceTags::kind) { k -> actions.editAdd { it.copy(kind = k) } }
        Field(d.name, Keys.RESOURCE_NAME_LABEL, ResourceTags.NAME) { t -> actions.editAdd { it.copy(name = t) } }
        Field(d.reach, Keys.RESOURCE_REACH_LABEL, ResourceTags.REACH) { t -> actions.editAdd { it.copy(reach = t) } }
        Field(d.hours, Keys.RESOURCE_HOURS_LABEL, ResourceTags.HOURS) { t -> actions.editAdd { it.copy(hours = t) } }
        Field(d.address, Keys.RESOURCE_ADDRESS_LABEL, ResourceTags.ADDRESS) { t -> actions.editAdd { it.copy(address = t) } }
        Field(d.notes, Keys.RESOURCE_NOTES_LABEL, ResourceTags.NOTES) { t -> actions.editAdd { it.copy(notes = t) } }
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { actions.saveAdd() }, modifier = Modifier.heightIn(min = MinTouch).testTag(ResourceTags.SAVE)) {
                Text(words(Keys.RESOURCE_SAVE))
            }
            OutlinedButton(onClick = actions::cancelAdd, modifier = Modifier.heightIn(min = MinTouch).testTag(ResourceTags.CANCEL)) {
                Text(words(Keys.CANCEL))
            }
        }
    }
}

@Composable
private fun Field(value: String, label: String, tag: String, change: (String) -> Unit) {
    OutlinedTextField(value = value, onValueChange = change, label = { Text(words(label)) }, modifier = Modifier.fillMaxWidth().testTag(tag))
}
