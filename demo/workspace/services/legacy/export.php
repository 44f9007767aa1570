<?php
function export_orders($db) {
    $rows = $db->query("SELECT * FROM orders");
    if ($rows == false) {
        return [];
    }
    // TODO: stream instead of loading everything
    return $rows->fetchAll();
}
