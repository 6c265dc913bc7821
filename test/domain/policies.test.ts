// A 403's sentence names what was refused in words and the role that may do it.

import { expect } from 'chai';
import { refusalOf, type ProjectAction } from '../../core/domain/policies.js';

const ACTIONS: ProjectAction[] = [
  'project.read', 'project.update', 'project.delete', 'project.export', 'member.list', 'member.manage', 'task.read',
  'task.write', 'room.list', 'room.create', 'feed.read', 'embed.manage', 'link.manage', 'plugin.manage',
];

describe('Refusals of project actions', () => {
  it('name the action in words and the least role that may do it', () => {
    expect(refusalOf('task.write', 'viewer')).to.equal('Your role (viewer) does not allow adding or changing tasks; ask a member of the project.');
    expect(refusalOf('project.delete', 'admin')).to.equal('Your role (admin) does not allow deleting the project; ask an owner of the project.');
    expect(refusalOf('link.manage', 'member')).to.equal('Your role (member) does not allow linking chat channels; ask an admin of the project.');
    expect(refusalOf('task.read', null)).to.equal('Your role (none) does not allow seeing tasks; ask a viewer of the project.');
  });

  it('never show an action\'s internal name', () => {
    for (const action of ACTIONS) {
      const sentence = refusalOf(action, 'viewer');
      expect(sentence, action).to.not.include(action).and.not.include(action.replace('.', ' '));
      expect(sentence, action).to.match(/^Your role \(viewer\) does not allow [a-z' ]+; ask an? (viewer|member|admin|owner) of the project\.$/);
    }
  });
});
