function (rows, view) {
    // The Map page's ranked table, drawn from the compact stores of views/map_table.py.
    if (!rows || !view) {
        return [];
    }
    const el = function (type, props, children, namespace) {
        return {
            type: type,
            namespace: namespace || 'dash_html_components',
            props: Object.assign({children: children}, props),
        };
    };
    const since = rows.change !== null && rows.change !== undefined;
    const heads = [
        el('Th', {scope: 'col', className: 'num'}, view.rank),
        el('Th', {scope: 'col'}, view.area_head),
        el('Th', {scope: 'col', className: 'num'}, view.value_head),
    ];
    if (since) {
        heads.push(el('Th', {scope: 'col', className: 'num'}, rows.change));
    }
    heads.push(el('Th', {scope: 'col'}, view.source));
    const body = rows.rows.map(function (r) {
        const area = r[0];
        const ranked = r[1] !== null;
        const name = view.names[area] === undefined ? area : view.names[area];
        const href = view.href.replace('__AREA__', encodeURIComponent(area));
        const value = ranked ? r[2] + (r[3] ? ' (' + r[3] + ')' : '') : view.no_data;
        const cells = [
            el('Td', {className: 'num'}, ranked ? String(r[1]) : '\u2013'),
            el('Td', {}, el('Link', {href: href}, name, 'dash_core_components')),
            el('Td', {className: 'num'}, value),
        ];
        if (since) {
            cells.push(el('Td', {className: 'num'}, r[5]));
        }
        cells.push(el('Td', {}, r[4] === null ? '' : rows.sources[r[4]]));
        const current = area === view.area ? {className: 'current', 'aria-current': 'true'} : {};
        return el('Tr', current, cells);
    });
    const table = el(
        'Table',
        {className: 'data map-rank', id: 'map-table', 'aria-labelledby': 'map-rank-heading'},
        [el('Thead', {}, el('Tr', {}, heads)), el('Tbody', {}, body)]
    );
    return [
        el('H2', {id: 'map-rank-heading'}, rows.heading),
        el('P', {className: 'muted'}, view.note),
        table,
    ];
}
