from shared.areas import xiaoshan


def test_tree_has_the_real_streets_and_the_seed_communities():
    tree = xiaoshan()
    names = {s.name for s in tree.streets()}
    assert {"宁围街道", "瓜沥镇", "城厢街道", "北干街道"} <= names
    assert len(names) == 22
    zhenning = tree.by_name("community", "振宁社区")
    assert tree.get(zhenning.parent_code).name == "宁围街道"
    assert tree.street_of(zhenning.code).name == "宁围街道"


def test_check_names_what_is_wrong():
    tree = xiaoshan()
    street = tree.by_name("street", "宁围街道").code
    community = tree.by_name("community", "振宁社区").code
    assert tree.check(street, level="street") is None
    assert "unknown" in tree.check("999", level="street")
    assert "expected a street" in tree.check(community, level="street")
    assert tree.check(community, within=street) is None
    assert "not within" in tree.check(community, within=tree.by_name("street", "瓜沥镇").code)
    grid = tree.children(community)[0]
    assert tree.street_of(grid.code).code == street
