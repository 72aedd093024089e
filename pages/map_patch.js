function (rows, view, figure) {
    // Another year of the drawn map (the same shapes): its values and hover text from the
    // compact rows of views/map_table.py; the geometry stays as drawn.
    if (!rows || !rows.map || !view || !figure || !figure.data) {
        return window.dash_clientside.no_update;
    }
    const byArea = {};
    rows.rows.forEach(function (r) {
        byArea[r[0]] = r;
    });
    const name = function (area) {
        return view.names[area] === undefined ? area : view.names[area];
    };
    const when = rows.year === null ? '' : ' (' + rows.year + ')';
    const data = figure.data.map(function (trace) {
        if (trace.showscale === false) {
            const text = trace.locations.map(function (area) {
                return '<b>' + name(area) + '</b><br>' + view.no_data + when;
            });
            return Object.assign({}, trace, {text: text});
        }
        const text = trace.locations.map(function (area) {
            const r = byArea[area];
            let value = (r[2] + ' ' + view.unit).trim();
            if (r[3]) {
                value += ' (' + r[3] + ')';
            }
            const lines = ['<b>' + name(area) + '</b>', value, rows.map.hover_year];
            if (r[4] !== null) {
                lines.push(view.source + ': ' + rows.sources[r[4]]);
            }
            return lines.join('<br>');
        });
        // the colour range is that of the year shown
        const colorbar = Object.assign({}, trace.colorbar);
        if (rows.map.tickvals) {
            colorbar.tickvals = rows.map.tickvals;
            colorbar.ticktext = rows.map.ticktext;
        } else {
            delete colorbar.tickvals;
            delete colorbar.ticktext;
        }
        return Object.assign({}, trace, {
            z: rows.map.z,
            customdata: rows.map.customdata || rows.map.z,
            zmin: rows.map.zmin,
            zmax: rows.map.zmax,
            colorbar: colorbar,
            text: text,
        });
    });
    return Object.assign({}, figure, {data: data});
}
